import { onBeforeUnmount, onMounted, ref } from 'vue';

/** True on a phone-sized screen (≤ 768 px wide): the menu becomes a drawer, tables become cards. */
export function usePhone() {
  const query = window.matchMedia('(max-width: 768px)');
  const phone = ref(query.matches);
  const on = (e: MediaQueryListEvent) => (phone.value = e.matches);
  onMounted(() => query.addEventListener('change', on));
  onBeforeUnmount(() => query.removeEventListener('change', on));
  return phone;
}
