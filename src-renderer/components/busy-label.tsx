/** A button's label with a spinner in front while busy; the label itself never changes, so neither does the button's name. */
export function BusyLabel({ busy, children }: { busy: boolean; children: string }) {
  return (
    <>
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </>
  );
}
