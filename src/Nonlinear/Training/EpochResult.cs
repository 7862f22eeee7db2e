namespace Nonlinear.Training;

/// <summary>What one epoch achieved. Losses are means over samples; times exclude evaluation (as PyTorch's peer script).</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double Seconds)
{
    /// <summary>True when the training loss stopped being finite.</summary>
    public bool Diverged => !double.IsFinite(TrainLoss);
}

/// <summary>Receives progress from <see cref="Trainer"/>; the CLI draws it as a progress bar or plain lines.</summary>
public interface ITrainingObserver
{
    /// <summary>An epoch with <paramref name="batches"/> steps begins.</summary>
    void EpochStarted(int epoch, int epochs, int batches);
    /// <summary>A step finished; running means over the epoch so far.</summary>
    void BatchFinished(int epoch, int batch, double meanLoss, double accuracy);
    /// <summary>An epoch finished and was evaluated.</summary>
    void EpochFinished(EpochResult result);
}
