import type { TransferView } from '../../src-preload/contract';
import { formatSpeed, timeLeftWords } from '../format/byte-units';

/** How far a transfer is, 0–100; a finished file is whole whatever the last report said. */
const percentOf = (view: TransferView): number => {
  const percent = view.state === 'done' ? 100 : view.percent;
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
};

const percentText = (percent: number) => `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;

/** The transfer's progress bar. */
export function TransferProgressBar({ view }: { view: TransferView }) {
  const percent = percentOf(view);
  return (
    <div
      className="progress-track"
      role="progressbar"
      aria-label={`${view.fileName} progress`}
      data-testid="transfer-progress"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={percentText(percent)}
    >
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** Percent, and while data moves its speed and the time left. */
export function TransferFigures({ view }: { view: TransferView }) {
  const moving = view.state === 'sending' || view.state === 'receiving';
  const speed = moving ? formatSpeed(view.bytesPerSecond) : null;
  const left = moving ? timeLeftWords(view.size, view.bytes, view.bytesPerSecond, view.secondsLeft) : null;
  return (
    <p className="transfer-figures">
      <span className="transfer-percent">{percentText(percentOf(view))}</span>
      {speed && <span className="transfer-speed">{speed}</span>}
      {left && <span className="transfer-left">{left}</span>}
    </p>
  );
}
