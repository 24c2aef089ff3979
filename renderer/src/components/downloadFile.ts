// Saves a file the desk fetched (a report, a case dossier): the bytes become a Blob and an <a download> is
// clicked. This works the same in Electron and in the browser host, and a browser test sees it as a
// `download` event.

/** A file as desk calls hand it over: base64, since the browser host's bridge carries JSON only. */
export interface DownloadedFile {
  fileName: string;
  mime: string;
  base64: string;
}

export function downloadFile(file: DownloadedFile): void {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the Blob to the download by the time the next task runs.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
