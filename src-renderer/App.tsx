/** The window's root component; the start screen and room views arrive with the desktop app. */
export function App() {
  return (
    <main>
      <h1>Porthole</h1>
    </main>
  );
}
