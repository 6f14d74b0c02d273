// Formulaire QF: live search of collectivities (progressive enhancement of the GET form on /collectivites).
// Without JavaScript, the form works as is. Builds the DOM with textContent only (no innerHTML).
const input = document.getElementById('recherche-collectivite');
const container = document.getElementById('resultats-collectivites');
const status = document.getElementById('resultats-collectivites-statut');
const list = document.getElementById('resultats-collectivites-liste');

if (input && container && status && list && 'fetch' in window) {
  const maxResults = Number(container.getAttribute('data-max-results')) || 20;
  let timer;
  let controller;
  let lastQuery = input.value.trim();

  const plural = (n, one, many) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;
  const summary = (total, shown, suggestion) => {
    if (total === 0) return 'Aucune collectivité ne correspond à votre recherche.';
    if (suggestion) return `Aucune collectivité ne porte exactement ce nom. Résultats pour « ${suggestion} » :`;
    const matched = `${plural(total, 'collectivité correspond', 'collectivités correspondent')} à votre recherche.`;
    return total > shown
      ? `${matched} Voici les ${shown} premières : précisez votre recherche pour trouver la vôtre.`
      : matched;
  };

  const render = (results, total, suggestion) => {
    const shown = results.slice(0, maxResults);
    list.replaceChildren(
      ...shown.map((c) => {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = `/collectivites/${encodeURIComponent(String(c.siret))}`;
        a.append(document.createTextNode(String(c.name)));
        const meta = document.createElement('span');
        meta.className = 'fqf-results__meta';
        meta.textContent = c.codePostal === '' ? `Département ${c.departement}` : `${c.codePostal} – département ${c.departement}`;
        a.append(meta);
        li.append(a);
        return li;
      }),
    );
    list.hidden = shown.length === 0;
    status.textContent = summary(total, shown.length, suggestion);
    // The server's suggestion and hints belong to the query it rendered: drop them once the list is live.
    for (const id of ['resultats-collectivites-suggestion', 'resultats-collectivites-aide']) document.getElementById(id)?.remove();
  };

  const search = async (query) => {
    if (controller) controller.abort();
    if (query.length < 2) {
      list.replaceChildren();
      list.hidden = true;
      status.textContent = '';
      return;
    }
    controller = new AbortController();
    try {
      const response = await fetch(`/collectivites/recherche?q=${encodeURIComponent(query)}`, {
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      if (!response.ok) return; // The form's submit button still works.
      const body = await response.json();
      if (!body || !Array.isArray(body.results)) return;
      render(body.results, Number(body.total) || body.results.length, typeof body.suggestion === 'string' ? body.suggestion : undefined);
      const url = new URL(window.location.href);
      url.searchParams.set('q', query);
      window.history.replaceState(null, '', url);
    } catch {
      // Aborted or offline: leave the current list; the form can still be submitted.
    }
  };

  input.addEventListener('input', () => {
    const query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    clearTimeout(timer);
    timer = setTimeout(() => search(query), 300);
  });
}
