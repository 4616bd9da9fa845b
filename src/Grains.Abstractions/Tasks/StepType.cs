namespace OrleansCloud.Tasks;

public enum StepType
{
    Validating = 0,
    Executing = 1,
    Finalizing = 2,
}
