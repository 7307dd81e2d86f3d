import { useEffect, useState } from 'react';
import { useActions } from '../state/store';

const COPIED_MS = 2000;

/** A button that copies `text` through the main process and says "Copied" for a moment. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { copyText } = useActions();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    const result = await copyText(text);
    if (result.ok) setCopied(true);
  };

  return (
    <>
      <button type="button" className={`button outline small ${copied ? 'is-done' : ''}`} aria-label={label} onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status">
        {copied ? 'Copied' : ''}
      </span>
    </>
  );
}
