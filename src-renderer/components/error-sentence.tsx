/** An error sentence for the person, announced when it appears; renders nothing without one. */
export function ErrorSentence({ message }: { message: string | null }) {
  return (
    <p className="error-sentence" role="alert">
      {message}
    </p>
  );
}
