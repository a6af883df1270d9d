// App Service authentication ("Easy Auth") in front of the Functions app: every request, the dashboard
// and the API alike, must carry an Entra ID sign-in of the app registration below. The platform checks
// it before the request reaches the app, so the functions themselves take no key.

@description('Name of the function app to protect.')
param functionAppName string

@minLength(1)
@description('Client (application) id of the Entra ID app registration users sign in to. Create it first (README, Deploy to Azure) and set AZURE_AUTH_CLIENT_ID; the deployment stops here without it, rather than leave the API open.')
param clientId string

@description('Tenant whose users sign in; the deployment\'s tenant by default.')
param tenantId string = tenant().tenantId

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      // No route is open: the page, its files, the API and /api/health all need a signed-in user or a token.
      requireAuthentication: true
      // A browser opening the page is sent to the Entra sign-in; the page's own API calls send
      // X-Requested-With: XMLHttpRequest, which the platform answers with 401 instead of a redirect,
      // and so does any call without a browser session that carries no bearer token.
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          // v2.0 issuer: sign-in with the ID token flow, so no client secret exists anywhere.
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          // Tokens for this registration only: the browser session's, and scripts' tokens for api://<clientId>.
          allowedAudiences: [
            clientId
            'api://${clientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}
