// Formulaire QF: "Copier le lien" button next to the read-only shareable link (progressive enhancement).
// The button is rendered hidden; it appears only when the Clipboard API is available.
for (const button of document.querySelectorAll('[data-copy-target]')) {
  const target = document.getElementById(button.getAttribute('data-copy-target') || '');
  const feedback = document.getElementById(button.getAttribute('data-copy-feedback') || '');
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(target.value);
      if (feedback) feedback.textContent = 'Le lien a été copié.';
    } catch {
      target.select();
      if (feedback) feedback.textContent = 'Sélectionnez le lien puis copiez-le.';
    }
  });
}
