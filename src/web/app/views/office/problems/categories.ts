// The categories the office picks from: those seen in the ledger, then the usual ones of an inspection's list.
import { ref } from 'vue';

const USUAL = ['大气', '水', '产业', '执法', '机制', '土壤', '生态'];
const seen = new Set<string>(USUAL);

export function useCategories() {
  const categories = ref<string[]>([...seen]);
  const remember = (items: { category?: string | null }[]) => {
    for (const p of items) if (p.category) seen.add(p.category);
    categories.value = [...seen];
  };
  return { categories, remember };
}
