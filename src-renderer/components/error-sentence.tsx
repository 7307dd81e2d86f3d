/** An error sentence for the person, announced when it appears; empty without one. `id` lets a field name it (aria-describedby). */
export function ErrorSentence({ message, id }: { message: string | null; id?: string }) {
  return (
    <p className="error-sentence" role="alert" id={id}>
      {message}
    </p>
  );
}
