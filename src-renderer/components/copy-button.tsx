import { useEffect, useState, type ReactNode } from 'react';
import { useActions } from '../state/store';

const COPIED_MS = 2000;

interface CopyButtonProps {
  text: string;
  /** The button's accessible name; it stays the same while it says "Copied". */
  label: string;
  /** What the button shows before copying; "Copy" when left out. */
  children?: ReactNode;
  className?: string;
  /** Called with exactly the text that reached the clipboard. */
  onCopied?: (text: string) => void;
}

/** A button that copies `text` through the main process and says "Copied" for a moment. */
export function CopyButton({ text, label, children, className = 'button outline small', onCopied }: CopyButtonProps) {
  const { copyText } = useActions();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    const result = await copyText(text);
    if (!result.ok) return;
    setCopied(true);
    onCopied?.(text);
  };

  return (
    <>
      <button type="button" className={`${className} ${copied ? 'is-done' : ''}`} aria-label={label} onClick={() => void copy()}>
        {copied ? 'Copied' : (children ?? 'Copy')}
      </button>
      <span className="visually-hidden" role="status">
        {copied ? 'Copied' : ''}
      </span>
    </>
  );
}
