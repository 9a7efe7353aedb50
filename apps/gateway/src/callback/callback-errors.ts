/** Error codes of the callback module's admin routes (the values are what clients already see). */
export enum CallbackErrorCode {
  CALLBACK_NOT_FOUND = 'CALLBACK_NOT_FOUND',
  CALLBACK_BUSY = 'CALLBACK_BUSY',
}
