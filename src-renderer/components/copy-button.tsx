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
  // What was copied: "Copied" is about that text, and stops as soon as the text changes.
  const [copiedText, setCopiedText] = useState<string | null>(null);
  const copied = copiedText !== null && copiedText === text;

  useEffect(() => {
    if (copiedText === null) return;
    const timer = setTimeout(() => setCopiedText(null), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copiedText]);

  const copy = async () => {
    const result = await copyText(text);
    if (!result.ok) return;
    setCopiedText(text);
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
