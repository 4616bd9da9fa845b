global using Orleans;
global using Orleans.Runtime;
global using OrleansCloud.Common;
global using Microsoft.Extensions.DependencyInjection;
