// Vite's `?worker&url` import of pdf.js's worker: the address of the worker file in the build.
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?worker&url' {
  const url: string;
  export default url;
}
