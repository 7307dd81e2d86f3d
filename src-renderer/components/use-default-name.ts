import { useState } from 'react';
import { useAppState } from '../state/store';

/**
 * A "Your name" field's value: the saved display name (else the login name) until the person
 * types, so a name saved in Settings meanwhile still shows up.
 */
export function useDefaultName(): [string, (name: string) => void] {
  const { settings, suggestedName } = useAppState();
  const [typed, setTyped] = useState<string | null>(null);
  const fallback = settings?.displayName || suggestedName;
  return [typed ?? fallback, setTyped];
}
