/** The app's name and mark, top left. */
export function Brand() {
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true" />
      <span className="brand-name">Porthole</span>
    </div>
  );
}
