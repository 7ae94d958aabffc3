// A paged list behind an el-table and el-pagination: filters, page, size, loading, and errors shown in Chinese.
import { reactive, ref, type Ref } from 'vue';
import { showError } from '../../../api';

export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

export function usePaged<T, F extends Record<string, unknown>>(
  fetchPage: (q: F & { page: number; pageSize: number }) => Promise<Page<T>>,
  filters: F,
  pageSize = 20,
) {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const state = reactive({ page: 1, pageSize });
  const f = reactive(filters) as F;

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const r = await fetchPage({ ...(f as F), page: state.page, pageSize: state.pageSize });
      rows.value = r.items;
      total.value = r.total;
    } catch (e) {
      showError(e, '加载失败');
    } finally {
      loading.value = false;
    }
  }

  function search(): Promise<void> {
    state.page = 1;
    return load();
  }

  return { rows, total, loading, state, filters: f, load, search };
}
