/**
 * A step's documentation as a person reads it: the parts written for the modeler (API addresses, field
 * lists in brackets, `x = true` conditions) left out.
 */
export function plainDocumentation(text: string | null | undefined): string {
  if (!text) return '';
  return text
    .replace(/[：:]?\s*(GET|POST|PUT|PATCH|DELETE)\s+\/\S+/g, '')
    .replace(/[（(][^（）()]*[A-Za-z_][^（）()]*[）)]/g, '')
    .replace(/[^。；，\n]*\b[A-Za-z_][A-Za-z0-9_.]*\s*(==?|!=)\s*[A-Za-z0-9_'"]+[^。；\n]*[。；]?/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** `milestones[0].dueDate` and `milestones.0.dueDate` are one field. */
export function fieldPath(name: string): string {
  return name.replace(/\[(\d+)\]/g, '.$1');
}
