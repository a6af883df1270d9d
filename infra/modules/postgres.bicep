// An optional PostgreSQL flexible server as the migration target. Password sign-in is off: the app's
// managed identity is an Entra administrator and signs in with tokens (auth=entra in the connection).

@description('Server name; the host becomes <name>.postgres.database.azure.com.')
param name string

@description('Azure region.')
param location string

@description('Tags for the server.')
param tags object

@description('PostgreSQL major version.')
param version string

@description('Compute SKU, e.g. Standard_B1ms (Burstable) or Standard_D4ds_v5 (GeneralPurpose).')
param skuName string

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
@description('Compute tier matching skuName.')
param skuTier string

@description('Storage size in GB.')
param storageSizeGB int

@description('Database the migration writes into.')
param databaseName string

@description('Name of the app\'s managed identity; it becomes the PostgreSQL role name.')
param identityName string

@description('Object (principal) id of the app\'s managed identity.')
param identityPrincipalId string

@description('Optional human Entra administrator (user principal name or group name); empty for none.')
param humanAdministratorName string

@description('Object id of that human administrator.')
param humanAdministratorObjectId string

@allowed([
  'User'
  'Group'
])
@description('Whether the human administrator is a user or a group.')
param humanAdministratorType string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// Flex Consumption has no fixed outbound addresses; this rule admits Azure-hosted callers, and Entra
// authentication still decides who gets in.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource identityAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: identityPrincipalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: identityName
    tenantId: tenant().tenantId
  }
  dependsOn: [
    allowAzureServices
  ]
}

// The server accepts one administrator change at a time, hence the chain of dependencies.
resource humanAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = if (!empty(humanAdministratorObjectId)) {
  parent: server
  name: empty(humanAdministratorObjectId) ? 'none' : humanAdministratorObjectId
  properties: {
    principalType: humanAdministratorType
    principalName: humanAdministratorName
    tenantId: tenant().tenantId
  }
  dependsOn: [
    identityAdministrator
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    identityAdministrator
    humanAdministrator
  ]
}

output name string = server.name
output fullyQualifiedDomainName string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
