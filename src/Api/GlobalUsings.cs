global using Microsoft.AspNetCore.Http.HttpResults;
global using Orleans;
global using OrleansCloud.Common;
