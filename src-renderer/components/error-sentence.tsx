/** An error sentence for the person, announced when it appears; renders nothing without one. */
export function ErrorSentence({ message, id }: { message: string | null; id?: string }) {
  return (
    <p className="error-sentence" role="alert" id={id}>
      {message}
    </p>
  );
}
