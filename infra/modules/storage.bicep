// The storage account behind the Functions host (AzureWebJobsStorage), Durable Functions' task hub (its
// Azure Storage backend keeps queues, tables and blobs here), the Flex Consumption deployment package and
// the migration checkpoints. Only Entra identities get in: shared keys are off.

@description('Storage account name: 3-24 lowercase letters and digits, globally unique.')
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags object

@description('Blob container Flex Consumption deploys the app package to.')
param deploymentContainerName string

@description('Blob container for checkpoints, plans and DDL of migrations.')
param checkpointContainerName string

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Account keys are the one credential that cannot be scoped or audited; with shared-key access off,
    // every caller (host, Durable, deployment, checkpoints) must present an Entra token.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Flex Consumption without a virtual network reaches storage over its public endpoint.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource checkpointContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: checkpointContainerName
  properties: {
    publicAccess: 'None'
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output deploymentContainerName string = deploymentContainer.name
output checkpointContainerName string = checkpointContainer.name
