// The Functions app on the Flex Consumption plan (FC1), .NET 10 isolated worker, running as the
// user-assigned identity. Every setting it reads is written here, each with the reason it exists.

@description('Function app name; also the host name <name>.azurewebsites.net.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the plan and the app (the app also carries azd-service-name).')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Client id of that identity: tells Azure.Identity and the host which identity to use.')
param identityClientId string

@description('Blob endpoint of the storage account of the host, Durable\'s task hub, the deployment package and the checkpoints, with the trailing slash.')
param storageBlobEndpoint string

@description('Queue endpoint of that account, with the trailing slash.')
param storageQueueEndpoint string

@description('Table endpoint of that account, with the trailing slash.')
param storageTableEndpoint string

@description('Container Flex Consumption deploys the app package to.')
param deploymentContainerName string

@description('Container for migration checkpoints, plans and DDL.')
param checkpointContainerName string

@description('Application Insights connection string (holds no credential: local auth is off).')
param applicationInsightsConnectionString string

@description('Durable task hub name.')
param taskHubName string

@minLength(1)
@description('Value of Connections__source: a connection without a password, or a Key Vault reference. Empty means no source was given, or it was given with a password in PGMIGRATE_SOURCE: set PGMIGRATE_SOURCE (no password) or PGMIGRATE_SOURCE_SECRET (with password, kept in Key Vault) with azd env set and provision again.')
param sourceConnectionSetting string

@minLength(1)
@description('Value of Connections__target: a connection without a password, or a Key Vault reference. Empty means no target was given, or it was given with a password in PGMIGRATE_TARGET: keep DEPLOY_POSTGRES_SERVER=true, or set PGMIGRATE_TARGET (no password) or PGMIGRATE_TARGET_SECRET (with password, kept in Key Vault), and provision again.')
param targetConnectionSetting string

@description('Most instances Flex Consumption may scale out to; bounds the load on the PostgreSQL servers.')
param maximumInstanceCount int

@allowed([
  512
  2048
  4096
])
@description('Memory per instance in MB.')
param instanceMemoryMB int

// Every setting the app reads. Durable Functions runs on its Azure Storage backend (host.json's
// storageProvider type "AzureStorage" over the connection "AzureWebJobsStorage"), so the host and the
// orchestrations share one identity-based connection: service URIs, no connection string, no key.
var functionAppSettings = {
  // Host storage (leases, keys, timers) and Durable's blobs over the managed identity: a service URI
  // instead of a connection string, because the account refuses keys.
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  // Durable's control and work-item queues (the Azure Storage backend dispatches orchestrations and
  // activities through them).
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  // Durable's history, instance and partition tables (the Azure Storage backend's orchestration state).
  AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
  // The host must use the user-assigned identity below, not look for a system-assigned one.
  AzureWebJobsStorage__credential: 'managedidentity'
  // Which user-assigned identity the host and Durable sign in to storage as.
  AzureWebJobsStorage__clientId: identityClientId
  // Azure.Identity's ManagedIdentityCredential/DefaultAzureCredential pick this identity for the
  // checkpoint blobs, Entra tokens for PostgreSQL and Key Vault calls.
  AZURE_CLIENT_ID: identityClientId
  // Where checkpoints, plans and DDL live, so a crashed or rescheduled activity resumes where it left off.
  Checkpoints__BlobServiceUri: storageBlobEndpoint
  // The checkpoint container; the identity holds Blob Data Contributor on exactly this container.
  Checkpoints__Container: checkpointContainerName
  // The connection named "source" in requests ({"source":"source"}); passwords only via Key Vault.
  Connections__source: sourceConnectionSetting
  // The connection named "target" in requests ({"target":"target"}); passwords only via Key Vault.
  Connections__target: targetConnectionSetting
  // host.json names the task hub %TASKHUB_NAME%, so one app package works against any hub.
  TASKHUB_NAME: taskHubName
  // Telemetry destination for logs, traces and progress of migrations.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  // Application Insights has local auth off: telemetry is sent with an Entra token of this identity.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references (@Microsoft.KeyVault(...)) resolve with the user-assigned identity.
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: functionAppSettings
}

// azd deploys with an Entra token; publishing user names and passwords are never needed.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
