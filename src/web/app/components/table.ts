import { ElTable as Table, ElTableColumn as TableColumn } from 'element-plus';
import type { Component } from 'vue';

/**
 * The table and its columns, imported by the views that show one. Their rows are the views' own types
 * (Problem, Account …): the slots hand them on untyped, as the globally registered table did.
 */
export const ElTable = Table as unknown as Component;
export const ElTableColumn = TableColumn as unknown as Component;
