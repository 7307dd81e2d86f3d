// Vite's client types: CSS imports and import.meta.env in the renderer bundle.
/// <reference types="vite/client" />
