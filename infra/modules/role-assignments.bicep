// Least-privilege access for the app's identity to the storage account and Application Insights, each
// role scoped to the one resource it is for. Key Vault secrets, which exist only in some deployments,
// are granted one by one by secret-access.bicep.
// Role definition ids are Azure built-in roles (learn.microsoft.com/azure/role-based-access-control/built-in-roles).

@description('Object (principal) id of the app\'s managed identity.')
param principalId string

@description('Storage account of the host and the deployment package.')
param storageAccountName string

@description('Checkpoint container in that account.')
param checkpointContainerName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' existing = {
  parent: storageAccount
  name: 'default'
}

resource checkpointContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = {
  parent: blobService
  name: checkpointContainerName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The host creates its own containers (azure-webjobs-hosts, -secrets) and holds blob leases in them, the
// Durable Azure Storage backend creates its task hub's containers (<hub>-leases, <hub>-largemessages), and
// the deployment reads the package container: Blob Data Owner on the account covers all of it.
resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, principalId, roles.storageBlobDataOwner)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Checkpoints are read and written by the migration activities. The host's account-wide Blob Data Owner
// covers this container today; the explicit grant keeps checkpoints working when host storage moves to
// another account, and documents what the migration itself needs: data access on this container only.
resource checkpointBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(checkpointContainer.id, principalId, roles.storageBlobDataContributor)
  scope: checkpointContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The Durable Azure Storage backend creates and reads its control and work-item queues in the account.
resource durableQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, principalId, roles.storageQueueDataContributor)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The Durable Azure Storage backend keeps its history, instance and partition tables in the account.
resource durableTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, principalId, roles.storageTableDataContributor)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights has local auth off; publishing telemetry needs this role on the component.
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
