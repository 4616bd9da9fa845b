using OrleansCloud.Api.Actions.VmCreate;
using OrleansCloud.Api.Actions.NetworkCreate;
using OrleansCloud.Api.Actions.NetworkDelete;
using OrleansCloud.Api.Actions.VmAttachInterface;
using OrleansCloud.Api.Actions.VmDelete;
using OrleansCloud.Api.Actions.VmDetachInterface;
using OrleansCloud.Api.Actions.VmEdit;
using OrleansCloud.Api.Actions.VmMigrate;
using OrleansCloud.Api.Actions.VmReboot;
using OrleansCloud.Api.Actions.VmStart;
using OrleansCloud.Api.Actions.VmStop;

namespace OrleansCloud.Api.Actions;

/// <summary>The one place the API's actions are registered: a line per action.</summary>
public static class TaskActionSchemaRegistration
{
    public static IServiceCollection AddTaskActionSchemas(this IServiceCollection services)
    {
        services.AddSingleton<ITaskActionSchema, VmCreateSchema>();
        services.AddSingleton<ITaskActionSchema, VmDeleteSchema>();
        services.AddSingleton<ITaskActionSchema, NetworkCreateSchema>();
        services.AddSingleton<ITaskActionSchema, NetworkDeleteSchema>();
        services.AddSingleton<ITaskActionSchema, VmStartSchema>();
        services.AddSingleton<ITaskActionSchema, VmStopSchema>();
        services.AddSingleton<ITaskActionSchema, VmRebootSchema>();
        services.AddSingleton<ITaskActionSchema, VmEditSchema>();
        services.AddSingleton<ITaskActionSchema, VmMigrateSchema>();
        services.AddSingleton<ITaskActionSchema, VmAttachInterfaceSchema>();
        services.AddSingleton<ITaskActionSchema, VmDetachInterfaceSchema>();
        services.AddSingleton<TaskActionSchemas>();
        return services;
    }
}
