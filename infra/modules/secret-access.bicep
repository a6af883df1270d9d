// Lets the app's identity read one Key Vault secret, so a @Microsoft.KeyVault(...) app setting
// resolves; the identity cannot list or read the vault's other secrets.

@description('Object (principal) id of the app\'s managed identity.')
param principalId string

@description('Key Vault name.')
param keyVaultName string

@description('Secret the app setting references.')
param secretName string

// Key Vault Secrets User: read secret contents (a built-in role).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretName
}

resource secretUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(secret.id, principalId, keyVaultSecretsUser)
  scope: secret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
