import { createApp } from 'vue';
import { useElementPlus } from './element';
import './styles.css';
import App from './App.vue';
import { router } from './router/index';

const app = createApp(App);
useElementPlus(app);
app.use(router);
app.mount('#app');
