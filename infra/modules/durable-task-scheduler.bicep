// The Durable Task Scheduler: the managed backend that stores orchestration state and dispatches
// activities, reached over gRPC with the app's managed identity.

@description('Scheduler name: letters, digits and hyphens, 3-64 characters.')
param name string

@description('Task hub the app uses (host.json hubName %TASKHUB_NAME%).')
param taskHubName string

@description('Azure region.')
param location string

@description('Tags for the scheduler.')
param tags object

@allowed([
  'Consumption'
  'Dedicated'
])
@description('Consumption bills per orchestration action; Dedicated reserves capacity units.')
param skuName string = 'Consumption'

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
    }
    // An empty list denies every caller; access is still gated by Entra RBAC on the task hub.
    ipAllowlist: [
      '0.0.0.0/0'
    ]
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

output schedulerName string = scheduler.name
output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
