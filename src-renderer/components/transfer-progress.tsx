import type { TransferView } from '../../src-preload/contract';
import { formatSpeed, timeLeftWords } from '../format/byte-units';
import { isFinal } from '../format/transfer-words';

/** The progress bar with percent, speed and time left while the file is moving. */
export function TransferProgress({ view }: { view: TransferView }) {
  const percent = clampPercent(view.state === 'done' ? 100 : view.percent);
  const moving = !isFinal(view.state) && view.state !== 'offered';
  const speed = moving ? formatSpeed(view.bytesPerSecond) : null;
  const left = moving && view.state !== 'verifying' ? timeLeftWords(view.size, view.bytes, view.bytesPerSecond) : null;
  const percentText = `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;

  return (
    <div className="transfer-progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={`${view.fileName} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={percentText}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="transfer-figures">
        <span>{percentText}</span>
        {speed && <span>{speed}</span>}
        {left && <span>{left}</span>}
      </p>
    </div>
  );
}

function clampPercent(percent: number): number {
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
}
