/**
 * Element Plus as the pages use it, never the whole library (about 2.5 MB): registered globally here only the
 * components of the frame and the sign-in page (layout, menu, bell, forms, cards), the message, confirm,
 * notification and loading services, the icons named by string (`icon="Plus"`, the menus' icons in the routes) and the Chinese locale. Every
 * other view imports the components it uses itself (`import { ElTable, … } from 'element-plus'` in its
 * script setup), so they come with that view's chunk. The styles of all the components used are here.
 */
import type { App } from 'vue';
import {
  ElAlert,
  ElAside,
  ElBadge,
  ElButton,
  ElCard,
  ElConfigProvider,
  ElContainer,
  ElDrawer,
  ElDropdown,
  ElDropdownItem,
  ElDropdownMenu,
  ElEmpty,
  ElForm,
  ElFormItem,
  ElHeader,
  ElIcon,
  ElInput,
  ElMain,
  ElMenu,
  ElMenuItem,
  ElPopover,
  ElResult,
  ElSubMenu,
  ElLoading,
  ElMessage,
  ElMessageBox,
  ElNotification,
  provideGlobalConfig,
} from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import {
  Bell,
  Calendar,
  ChatDotRound,
  ChatLineSquare,
  CircleCheck,
  DataAnalysis,
  Document,
  Download,
  FullScreen,
  Key,
  List,
  Medal,
  Menu,
  Message,
  Notebook,
  OfficeBuilding,
  Plus,
  Promotion,
  Refresh,
  Search,
  Setting,
  Share,
  Stamp,
  Tickets,
  TrendCharts,
  Upload,
  User,
  UserFilled,
  View,
  Warning,
  WarningFilled,
  ZoomIn,
  ZoomOut,
} from '@element-plus/icons-vue';
import 'element-plus/theme-chalk/base.css';
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/aside/style/css';
import 'element-plus/es/components/badge/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/button-group/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/checkbox/style/css';
import 'element-plus/es/components/col/style/css';
import 'element-plus/es/components/collapse/style/css';
import 'element-plus/es/components/collapse-item/style/css';
import 'element-plus/es/components/config-provider/style/css';
import 'element-plus/es/components/container/style/css';
import 'element-plus/es/components/date-picker/style/css';
import 'element-plus/es/components/descriptions/style/css';
import 'element-plus/es/components/descriptions-item/style/css';
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/divider/style/css';
import 'element-plus/es/components/drawer/style/css';
import 'element-plus/es/components/dropdown/style/css';
import 'element-plus/es/components/dropdown-item/style/css';
import 'element-plus/es/components/dropdown-menu/style/css';
import 'element-plus/es/components/empty/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/header/style/css';
import 'element-plus/es/components/icon/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/input-number/style/css';
import 'element-plus/es/components/link/style/css';
import 'element-plus/es/components/main/style/css';
import 'element-plus/es/components/menu/style/css';
import 'element-plus/es/components/menu-item/style/css';
import 'element-plus/es/components/option/style/css';
import 'element-plus/es/components/pagination/style/css';
import 'element-plus/es/components/popover/style/css';
import 'element-plus/es/components/progress/style/css';
import 'element-plus/es/components/radio/style/css';
import 'element-plus/es/components/radio-button/style/css';
import 'element-plus/es/components/radio-group/style/css';
import 'element-plus/es/components/result/style/css';
import 'element-plus/es/components/row/style/css';
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/slider/style/css';
import 'element-plus/es/components/sub-menu/style/css';
import 'element-plus/es/components/switch/style/css';
import 'element-plus/es/components/tab-pane/style/css';
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';
import 'element-plus/es/components/tabs/style/css';
import 'element-plus/es/components/tag/style/css';
import 'element-plus/es/components/timeline/style/css';
import 'element-plus/es/components/timeline-item/style/css';
import 'element-plus/es/components/tooltip/style/css';
import 'element-plus/es/components/upload/style/css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/notification/style/css';
import 'element-plus/es/components/loading/style/css';

const COMPONENTS = [
  ElAlert,
  ElAside,
  ElBadge,
  ElButton,
  ElCard,
  ElConfigProvider,
  ElContainer,
  ElDrawer,
  ElDropdown,
  ElDropdownItem,
  ElDropdownMenu,
  ElEmpty,
  ElForm,
  ElFormItem,
  ElHeader,
  ElIcon,
  ElInput,
  ElMain,
  ElMenu,
  ElMenuItem,
  ElPopover,
  ElResult,
  ElSubMenu,
];
const ICONS = {
  Bell,
  Calendar,
  ChatDotRound,
  ChatLineSquare,
  CircleCheck,
  DataAnalysis,
  Document,
  Download,
  FullScreen,
  Key,
  List,
  Medal,
  Menu,
  Message,
  Notebook,
  OfficeBuilding,
  Plus,
  Promotion,
  Refresh,
  Search,
  Setting,
  Share,
  Stamp,
  Tickets,
  TrendCharts,
  Upload,
  User,
  UserFilled,
  View,
  Warning,
  WarningFilled,
  ZoomIn,
  ZoomOut,
};

export function useElementPlus(app: App): void {
  provideGlobalConfig({ locale: zhCn }, app, true);
  for (const c of COMPONENTS) app.use(c);
  for (const p of [ElLoading, ElMessage, ElMessageBox, ElNotification]) app.use(p);
  for (const [name, icon] of Object.entries(ICONS)) app.component(name, icon);
}
