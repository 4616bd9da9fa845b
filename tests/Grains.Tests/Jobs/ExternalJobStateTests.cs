using OrleansCloud.Common;
using OrleansCloud.Grains.Jobs;
using OrleansCloud.Jobs;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Tests.Jobs;

public sealed class ExternalJobStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly JobStart Backup = new("t1", "nightly backup", "backup.run", "ops", AutoCleared: false);

    public static TheoryData<JobStatus, JobStatus> EveryJobPair()
    {
        var data = new TheoryData<JobStatus, JobStatus>();
        foreach (var from in Enum.GetValues<JobStatus>())
        {
            foreach (var requested in Enum.GetValues<JobStatus>())
            {
                data.Add(from, requested);
            }
        }

        return data;
    }

    public static TheoryData<StepStatus, StepStatus> EveryStepPair()
    {
        var data = new TheoryData<StepStatus, StepStatus>();
        foreach (var from in Enum.GetValues<StepStatus>())
        {
            foreach (var requested in Enum.GetValues<StepStatus>())
            {
                data.Add(from, requested);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryJobPair))]
    public void JobTable_OnlyAStartedJobEnds_AndIntoTheRequestedEndState(JobStatus from, JobStatus requested)
    {
        var next = JobLifecycle.Next(from, requested);

        if (from == JobStatus.Started && requested != JobStatus.Started)
        {
            Assert.Equal(requested, next.Value);
        }
        else
        {
            Assert.Equal(ErrorCodes.InvalidStateTransition, next.Error!.Code);
        }
    }

    [Theory]
    [MemberData(nameof(EveryStepPair))]
    public void StepTable_OnlyAStartedStepEnds_AndIntoTheRequestedEndState(StepStatus from, StepStatus requested)
    {
        var next = JobLifecycle.Next(from, requested);

        if (from == StepStatus.Started && requested != StepStatus.Started)
        {
            Assert.Equal(requested, next.Value);
        }
        else
        {
            Assert.Equal(ErrorCodes.InvalidStateTransition, next.Error!.Code);
        }
    }

    [Fact]
    public void Start_Twice_IsAConflict_AndKeepsTheFirst()
    {
        var job = Started();

        var again = job.Start(Backup with { Description = "other" }, T0.AddMinutes(1));

        Assert.Equal(ErrorCodes.Conflict, again.Error!.Code);
        Assert.Equal("nightly backup", job.Description);
        Assert.Equal(T0, job.StartTime);
        Assert.True(job.StartedBy(Backup));
        Assert.False(job.StartedBy(Backup with { Owner = "someone else" }));
    }

    [Fact]
    public void Steps_AreNumbered_AndNestUnderAnOpenParent()
    {
        var job = Started();

        var parent = job.AddStep("job-1", new JobStepStart(StepType.Executing, "copy", null), T0.AddSeconds(1)).Value!;
        var child = job.AddStep("job-1", new JobStepStart(StepType.Validating, "verify", parent.StepId), T0.AddSeconds(2)).Value!;

        Assert.Equal(("job-1-s1", 1), (parent.StepId, parent.Number));
        Assert.Equal(("job-1-s2", 2, parent.StepId), (child.StepId, child.Number, child.ParentStepId));
        Assert.Equal(StepStatus.Started, child.Status);
        Assert.Equal(T0.AddSeconds(2), job.LastUpdated);
    }

    [Fact]
    public void AddStep_UnderAnUnknownOrEndedParent_IsRefused_AndAddsNothing()
    {
        var job = Started();
        var parent = job.AddStep("job-1", new JobStepStart(StepType.Executing, "copy", null), T0).Value!;
        job.EndStep(parent.StepId, succeeded: true, T0);

        var unknown = job.AddStep("job-1", new JobStepStart(StepType.Executing, "x", "job-1-s9"), T0);
        var underEnded = job.AddStep("job-1", new JobStepStart(StepType.Executing, "x", parent.StepId), T0);

        Assert.Equal(ErrorCodes.NotFound, unknown.Error!.Code);
        Assert.Equal(ErrorCodes.InvalidStateTransition, underEnded.Error!.Code);
        Assert.Single(job.Steps);
    }

    [Fact]
    public void AddStep_PastTheLimit_IsAConflict()
    {
        var job = Started();
        for (var i = 0; i < ExternalJobState.MaxSteps; i++)
        {
            Assert.True(job.AddStep("job-1", new JobStepStart(StepType.Executing, $"s{i}", null), T0).IsSuccess);
        }

        var one = job.AddStep("job-1", new JobStepStart(StepType.Executing, "one more", null), T0);

        Assert.Equal(ErrorCodes.Conflict, one.Error!.Code);
        Assert.Equal(ExternalJobState.MaxSteps, job.Steps.Count);
    }

    [Fact]
    public void EndStep_WithAnOpenChild_IsRefused_ThenEndsOnceTheChildHas()
    {
        var job = Started();
        var parent = job.AddStep("job-1", new JobStepStart(StepType.Executing, "copy", null), T0).Value!;
        var child = job.AddStep("job-1", new JobStepStart(StepType.Executing, "chunk", parent.StepId), T0).Value!;
        var grandchild = job.AddStep("job-1", new JobStepStart(StepType.Executing, "block", child.StepId), T0).Value!;

        Assert.Equal(ErrorCodes.InvalidStateTransition, job.EndStep(parent.StepId, true, T0).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidStateTransition, job.EndStep(child.StepId, true, T0).Error!.Code);
        Assert.Equal(StepStatus.Failed, job.EndStep(grandchild.StepId, false, T0.AddSeconds(1)).Value!.Status);
        Assert.Equal(StepStatus.Finished, job.EndStep(child.StepId, true, T0.AddSeconds(2)).Value!.Status);
        var ended = job.EndStep(parent.StepId, true, T0.AddSeconds(3)).Value!;

        Assert.Equal((StepStatus.Finished, (DateTimeOffset?)T0.AddSeconds(3)), (ended.Status, ended.EndTime));
        Assert.Equal(ErrorCodes.InvalidStateTransition, job.EndStep(parent.StepId, false, T0).Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, job.EndStep("job-1-s42", true, T0).Error!.Code);
    }

    [Fact]
    public void End_WithOpenSteps_IsRefusedWithoutForce_AndAbortsThemWithForce()
    {
        var job = Started();
        var open = job.AddStep("job-1", new JobStepStart(StepType.Executing, "copy", null), T0).Value!;

        var refused = job.End(JobStatus.Finished, force: false, T0.AddSeconds(1));
        Assert.Equal(ErrorCodes.InvalidStateTransition, refused.Error!.Code);
        Assert.Equal(JobStatus.Started, job.Status);
        Assert.Equal(StepStatus.Started, job.Steps[0].Status);

        Assert.True(job.End(JobStatus.Failed, force: true, T0.AddSeconds(2)).IsSuccess);

        Assert.Equal((JobStatus.Failed, (DateTimeOffset?)T0.AddSeconds(2)), (job.Status, job.EndTime));
        Assert.Equal(StepStatus.Aborted, job.Steps.Single(s => s.StepId == open.StepId).Status);
        Assert.False(job.Cleared);
    }

    [Fact]
    public void AnEndedJob_TakesNoStepsNorStepEndsNorASecondEnd()
    {
        var job = Started();
        var step = job.AddStep("job-1", new JobStepStart(StepType.Executing, "copy", null), T0).Value!;
        Assert.True(job.End(JobStatus.Aborted, force: true, T0).IsSuccess);

        Assert.Equal(ErrorCodes.InvalidStateTransition, job.AddStep("job-1", new JobStepStart(StepType.Executing, "late", null), T0).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidStateTransition, job.EndStep(step.StepId, true, T0).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidStateTransition, job.End(JobStatus.Finished, force: true, T0).Error!.Code);
        Assert.Equal(JobStatus.Aborted, job.Status);
    }

    [Theory]
    [InlineData(true, JobStatus.Finished, true)]
    [InlineData(true, JobStatus.Failed, false)]
    [InlineData(true, JobStatus.Aborted, false)]
    [InlineData(false, JobStatus.Finished, false)]
    public void AutoClearedJobs_LeaveTheListOnlyWhenTheyFinish(bool autoCleared, JobStatus end, bool cleared)
    {
        var job = new ExternalJobState();
        job.Start(Backup with { AutoCleared = autoCleared }, T0);

        job.End(end, force: false, T0);

        Assert.Equal(cleared, job.Cleared);
    }

    [Fact]
    public void Clear_ARunningJob_IsRefused_AnEndedOne_IsClearedOnce()
    {
        var job = Started();

        Assert.Equal(ErrorCodes.InvalidStateTransition, job.Clear(T0).Error!.Code);
        Assert.False(job.Cleared);

        job.End(JobStatus.Finished, force: false, T0);
        Assert.True(job.Clear(T0.AddSeconds(5)).IsSuccess);
        Assert.True(job.Clear(T0.AddSeconds(9)).IsSuccess);

        Assert.True(job.Cleared);
        Assert.Equal(T0.AddSeconds(5), job.LastUpdated);
    }

    private static ExternalJobState Started()
    {
        var job = new ExternalJobState();
        Assert.True(job.Start(Backup, T0).IsSuccess);
        return job;
    }
}
