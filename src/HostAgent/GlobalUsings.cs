global using Orleans;
global using OrleansCloud.Common;
global using OrleansCloud.Hosts;
global using OrleansCloud.Hosts.Operations;
