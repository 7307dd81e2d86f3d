import type { Notice } from '../state/app-state';
import { useActions } from '../state/store';
import { CloseIcon } from './icons';

/** Sentences the person should see (warnings, unsent messages, files that could not be offered), each dismissible. */
export function NoticeList({ notices }: { notices: Notice[] }) {
  const { dismissNotice } = useActions();
  return (
    <div className="notice-list" role="alert" aria-live="assertive">
      {notices.map((notice) => (
        <div key={notice.id} className="notice">
          <p className="notice-text">{notice.text}</p>
          <button type="button" className="icon-button" aria-label="Dismiss notice" onClick={() => dismissNotice(notice.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
