import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Member } from '../../src-preload/contract';
import { useActions, useAppState } from '../state/store';
import { SendIcon } from './icons';

/**
 * The message box: Enter sends, Shift+Enter starts a new line. Text the room refuses stays in the
 * box (or comes back to it, when the host refuses it later) with the reason under it.
 */
export function Composer({ disabled }: { disabled: boolean }) {
  const { sendChat, refusedSendTaken } = useActions();
  const { refusedSend } = useAppState();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  // The others see "… is typing" while the text in the box changes (the main side says it at most
  // every 3 s, and the others stop showing it 6 s after the last time); an empty box says "stopped".
  const edit = (value: string) => {
    setText(value);
    void window.porthole.setTyping(value.trim() !== '');
  };
  useEffect(() => () => void window.porthole.setTyping(false), []);

  // A line the host refused after it left the box: back in front of whatever is typed now.
  useEffect(() => {
    if (refusedSend === null) return;
    setText((typed) => (typed.trim() === '' ? refusedSend.text : `${refusedSend.text}\n${typed}`));
    setError(`Not sent: ${refusedSend.why}`);
    refusedSendTaken();
  }, [refusedSend, refusedSendTaken]);

  const send = async () => {
    if (sending || text.trim() === '') return;
    setSending(true);
    const result = await sendChat(text);
    setSending(false);
    if (result.ok) {
      edit('');
      setError(null);
    } else {
      // Refused at once (too long, say): the text stays for the person to shorten.
      setError(`Not sent: ${result.error.message}`);
    }
    box.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing, Enter picks a candidate rather than sending.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <TypingLine />
      <p className="error-sentence" id="composer-error" role="alert">
        {error}
      </p>
      <div className="composer-row">
        <label className="visually-hidden" htmlFor="composer-text">
          Message
        </label>
        <textarea
          id="composer-text"
          ref={box}
          className="composer-text"
          value={text}
          onChange={(e) => edit(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={disabled ? 'Waiting for the connection…' : 'Write a message…'}
          rows={1}
          aria-invalid={error !== null}
          aria-describedby={error === null ? 'composer-hint' : 'composer-error composer-hint'}
        />
        <button
          type="submit"
          className="button primary send-button"
          disabled={disabled || sending || text.trim() === ''}
          aria-busy={sending}
        >
          <SendIcon />
          Send
        </button>
      </div>
      <p className="visually-hidden" id="composer-hint">
        Enter sends, Shift+Enter starts a new line.
      </p>
    </form>
  );
}

/** "Ada is typing…", "Ada and Bob are typing…", "Ada, Bob and 2 others are typing…". */
export function typingWords(members: readonly Member[]): string {
  const names = members.map((m) => m.name);
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  const others = names.length - 2;
  return `${names[0]}, ${names[1]} and ${others} ${others === 1 ? 'other' : 'others'} are typing…`;
}

/** Who else is typing, above the box (typing/1); one empty line when nobody is, so nothing jumps. */
function TypingLine() {
  const [members, setMembers] = useState<Member[]>([]);
  useEffect(() => window.porthole.on('room:typing', setMembers), []);
  return (
    <p className="field-hint" aria-live="polite">
      {typingWords(members) || '\u00a0'}
    </p>
  );
}
