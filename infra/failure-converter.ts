/**
 * Loaded by path (DataConverter.failureConverterPath) in the worker, the client and the workflow
 * bundle: moves failure messages and stack traces into an encoded payload, so the payload codec
 * encrypts them too. Bundled into workflow code: import nothing but @temporalio/common here.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
