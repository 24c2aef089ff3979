// The address the desk serves an evidence file from ('evidence.url'): never a file path. An address is
// stable for the page's life, so each file is asked for once however many thumbnails show it.
import { useEffect, useState } from 'react';
import { askDesk } from '../../desk';

const knownUrls = new Map<string, Promise<string | null>>();

function evidenceUrl(sha256: string): Promise<string | null> {
  let url = knownUrls.get(sha256);
  if (!url) {
    url = askDesk('evidence.url', { sha256 }).then((answer) => (answer.ok ? answer.value.url : null));
    knownUrls.set(sha256, url);
  }
  return url;
}

export function useEvidenceUrl(sha256: string | null): string | null {
  const [url, setUrl] = useState<{ sha256: string; url: string | null } | null>(null);
  useEffect(() => {
    if (!sha256) return;
    let unmounted = false;
    void evidenceUrl(sha256).then((resolved) => {
      if (!unmounted) setUrl({ sha256, url: resolved });
    });
    return () => {
      unmounted = true;
    };
  }, [sha256]);
  return url && url.sha256 === sha256 ? url.url : null;
}
