// PgMigrationFunctions in Azure: wires the modules in ./modules into one deployment that `azd up`
// provisions. No keys anywhere: every service is reached with the app's user-assigned identity.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds unique resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource; it must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@minLength(3)
@maxLength(45)
@description('Durable task hub name: a letter, then letters and digits. The Azure Storage backend names its queues, tables and blob containers after it.')
param taskHubName string = 'pgmigrate'

@description('Client id of the Entra ID app registration that signs users in to the dashboard and the API (App Service authentication); required, so that the app is never deployed open.')
param authClientId string

@description('Name of the app\'s managed identity, which is also its PostgreSQL role name; empty for id-<unique token>. Choose it up front when a source signs in with Entra ID.')
param identityName string = ''

@description('Source connection without a password: postgresql://user@host/db?sslmode=verify-full&auth=entra. One with a password is refused here; give it as sourceConnectionSecret.')
param sourceConnection string = ''

@secure()
@description('Source connection that carries a password. Stored in Key Vault; the app setting only references it.')
param sourceConnectionSecret string = ''

@description('Target connection without a password; ignored when deployPostgresServer is true.')
param targetConnection string = ''

@secure()
@description('Target connection that carries a password; stored in Key Vault. Ignored when deployPostgresServer is true.')
param targetConnectionSecret string = ''

@description('Create an Azure Database for PostgreSQL flexible server as the target, with the app\'s identity as Entra administrator.')
param deployPostgresServer bool = true

@description('PostgreSQL major version of the created target server.')
param postgresVersion string = '16'

@description('Compute SKU of the created target server.')
param postgresSkuName string = 'Standard_B2s'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
@description('Compute tier matching postgresSkuName.')
param postgresSkuTier string = 'Burstable'

@description('Storage of the created target server in GB.')
param postgresStorageSizeGB int = 32

@description('Database created on the target server for the migration to write into.')
param postgresDatabaseName string = 'migrated'

@description('Your user principal name (or a group name), added as a second Entra administrator of the created server; empty for none.')
param postgresEntraAdminName string = ''

@description('Object id of that user or group.')
param postgresEntraAdminObjectId string = ''

@allowed([
  'User'
  'Group'
])
@description('Whether postgresEntraAdminName is a user or a group.')
param postgresEntraAdminType string = 'User'

@description('Blob container for checkpoints.')
param checkpointContainerName string = 'checkpoints'

@description('Most Flex Consumption instances; each runs several copy activities, each holding PostgreSQL connections.')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Memory per Flex Consumption instance in MB.')
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
// Connections that carry a password live in Key Vault secrets; the app settings only reference them.
var sourceSecretName = empty(sourceConnectionSecret) ? '' : 'connections-source'
var targetSecretName = deployPostgresServer || empty(targetConnectionSecret) ? '' : 'connections-target'
var useKeyVault = !empty(sourceSecretName) || !empty(targetSecretName)

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: empty(identityName) ? 'id-${resourceToken}' : identityName
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    checkpointContainerName: checkpointContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'modules/key-vault.bicep' = if (useKeyVault) {
  name: 'key-vault'
  scope: resourceGroup
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    sourceSecretName: sourceSecretName
    sourceConnectionSecret: sourceConnectionSecret
    targetSecretName: targetSecretName
    targetConnectionSecret: targetConnectionSecret
  }
}

module postgres 'modules/postgres.bicep' = if (deployPostgresServer) {
  name: 'postgres'
  scope: resourceGroup
  params: {
    name: 'psql-${resourceToken}'
    location: location
    tags: tags
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    databaseName: postgresDatabaseName
    identityName: identity.outputs.name
    identityPrincipalId: identity.outputs.principalId
    humanAdministratorName: postgresEntraAdminName
    humanAdministratorObjectId: postgresEntraAdminObjectId
    humanAdministratorType: postgresEntraAdminType
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: resourceGroup
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    checkpointContainerName: storage.outputs.checkpointContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module sourceSecretAccess 'modules/secret-access.bicep' = if (!empty(sourceSecretName)) {
  name: 'source-secret-access'
  scope: resourceGroup
  params: {
    principalId: identity.outputs.principalId
    keyVaultName: keyVault!.outputs.name
    secretName: sourceSecretName
  }
}

module targetSecretAccess 'modules/secret-access.bicep' = if (!empty(targetSecretName)) {
  name: 'target-secret-access'
  scope: resourceGroup
  params: {
    principalId: identity.outputs.principalId
    keyVaultName: keyVault!.outputs.name
    secretName: targetSecretName
  }
}

// A password typed into a plain connection parameter would become a readable app setting. Such a
// connection is replaced by '' so the function app's @minLength(1) check stops the deployment and
// points at the *_SECRET setting. Password forms: user:password@ in a URL, password= in a URL or keywords.
var sourceUserInfo = contains(sourceConnection, '://') && contains(sourceConnection, '@')
  ? split(split(sourceConnection, '://')[1], '@')[0]
  : ''
var sourceCarriesPassword = (contains(sourceUserInfo, ':') && !contains(sourceUserInfo, '/')) || contains(toLower(sourceConnection), 'password=')
var targetUserInfo = contains(targetConnection, '://') && contains(targetConnection, '@')
  ? split(split(targetConnection, '://')[1], '@')[0]
  : ''
var targetCarriesPassword = (contains(targetUserInfo, ':') && !contains(targetUserInfo, '/')) || contains(toLower(targetConnection), 'password=')

// A password-carrying source is only ever a Key Vault reference in the app settings.
var sourceConnectionSetting = !empty(sourceSecretName)
  ? '@Microsoft.KeyVault(VaultName=${keyVault!.outputs.name};SecretName=${sourceSecretName})'
  : (sourceCarriesPassword ? '' : sourceConnection)

// The created server is reached as the identity, with an Entra token and a verified TLS certificate.
var createdServerConnection = deployPostgresServer
  ? 'postgresql://${identity.outputs.name}@${postgres!.outputs.fullyQualifiedDomainName}/${postgres!.outputs.databaseName}?sslmode=verify-full&auth=entra'
  : ''

var targetConnectionSetting = deployPostgresServer
  ? createdServerConnection
  : (!empty(targetSecretName)
      ? '@Microsoft.KeyVault(VaultName=${keyVault!.outputs.name};SecretName=${targetSecretName})'
      : (targetCarriesPassword ? '' : targetConnection))

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: resourceGroup
  params: {
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: union(tags, {
      'azd-service-name': 'api'
    })
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    checkpointContainerName: storage.outputs.checkpointContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    taskHubName: taskHubName
    sourceConnectionSetting: sourceConnectionSetting
    targetConnectionSetting: targetConnectionSetting
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The app must not start before its identity may use storage (host and Durable state) and read its secrets.
  dependsOn: [
    roleAssignments
    sourceSecretAccess
    targetSecretAccess
  ]
}

// Sign-in in front of the page and the API, once the app exists.
module appAuthentication 'modules/app-authentication.bicep' = {
  name: 'app-authentication'
  scope: resourceGroup
  params: {
    functionAppName: functionApp.outputs.name
    clientId: authClientId
  }
}

output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output DASHBOARD_URL string = 'https://${functionApp.outputs.defaultHostName}/api/dashboard'
output MANAGED_IDENTITY_NAME string = identity.outputs.name
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output POSTGRES_HOST string = deployPostgresServer ? postgres!.outputs.fullyQualifiedDomainName : ''
output POSTGRES_DATABASE string = deployPostgresServer ? postgres!.outputs.databaseName : ''
