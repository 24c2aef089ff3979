// Generic building blocks shared by every screen. They know nothing of cases or the desk.
export { Alert } from './Alert';
export { Badge, type BadgeTone } from './Badge';
export { Button, type ButtonProps } from './Button';
export { Dialog, type DialogProps } from './Dialog';
export { SelectField, TextField } from './Field';
export { SortableTable, sortableColumnHelper } from './SortableTable';
export { downloadFile, type DownloadedFile } from './downloadFile';
