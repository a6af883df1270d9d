// Lets the app's identity run orchestrations in its one task hub of the Durable Task Scheduler, and
// nothing else of the scheduler. Deployed only with the Durable Task Scheduler backend.

@description('Object (principal) id of the app\'s managed identity.')
param principalId string

@description('Durable Task Scheduler name.')
param schedulerName string

@description('Task hub the app uses.')
param taskHubName string

// Durable Task Data Contributor: start, run, query and cancel orchestrations (a built-in role).
var durableTaskDataContributor = '0ad04412-c4d5-4796-b79c-f76d14c8d402'

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' existing = {
  name: schedulerName
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' existing = {
  parent: scheduler
  name: taskHubName
}

resource taskHubContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(taskHub.id, principalId, durableTaskDataContributor)
  scope: taskHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', durableTaskDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
