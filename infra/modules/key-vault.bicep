// Key Vault for connection strings that carry a password. The app setting holds only a
// @Microsoft.KeyVault(...) reference; the password stays in the vault, read with the app's identity.

@description('Key Vault name: 3-24 letters, digits and hyphens, globally unique.')
param name string

@description('Azure region.')
param location string

@description('Tags for the vault.')
param tags object

@description('Secret holding the source connection; empty when the source needs no secret.')
param sourceSecretName string

@secure()
@description('Source connection string with its password.')
param sourceConnectionSecret string

@description('Secret holding the target connection; empty when the target needs no secret.')
param targetSecretName string

@secure()
@description('Target connection string with its password.')
param targetConnectionSecret string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access through Azure RBAC: the identity gets Secrets User on exactly the secrets it reads.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource sourceSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sourceSecretName)) {
  parent: vault
  name: sourceSecretName
  properties: {
    value: sourceConnectionSecret
    contentType: 'PostgreSQL connection string'
  }
}

resource targetSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(targetSecretName)) {
  parent: vault
  name: targetSecretName
  properties: {
    value: targetConnectionSecret
    contentType: 'PostgreSQL connection string'
  }
}

output name string = vault.name
