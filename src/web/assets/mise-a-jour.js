// Formulaire QF: the Mise à jour annuelle's progress bar, live (progressive enhancement). Without JavaScript the
// page refreshes itself every few seconds (a <noscript> meta refresh); with it, only the bar and its text change,
// and the page reloads once the job is no longer running, to show the result or why it stopped.
const box = document.querySelector('[data-progress-url]');
const bar = document.getElementById('avancement');
const text = document.getElementById('avancement-texte');
if (box && bar && text) {
  const url = box.getAttribute('data-progress-url');
  const tick = async () => {
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      const progress = response.ok ? await response.json() : null;
      if (progress) {
        bar.max = Math.max(progress.total, 1);
        bar.value = Math.min(progress.done, progress.total);
        bar.textContent = `${progress.done} sur ${progress.total}`;
        text.textContent = `${progress.done} sur ${progress.total} famille${progress.total > 1 ? 's' : ''}.`;
        if (progress.state !== 'running') {
          window.location.reload();
          return;
        }
      }
    } catch {
      // A missed poll is caught up by the next one.
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
}
