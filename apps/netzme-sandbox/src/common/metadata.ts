/** Route metadata keys shared by the Netzme guard, the faults interceptor and the error filter. */
export const SERVICE_CODE_METADATA = 'netzme:serviceCode';
export const CLIENT_SECRET_HEADER_METADATA = 'netzme:clientSecretHeader';
