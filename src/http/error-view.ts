// How a route says what an HTML answer to a failure shows, without answering it: the error
// leaves with its view attached and the error handler renders it (or JSON, when JSON is asked
// for). For a promise's `.catch`: anything but a HarnessError passes through untouched.
import { HarnessError } from '../errors.js';

/** The page the flow shows again with the error on it (a form and its message), for the errors `when` picks. */
export function showAgain(render: (err: HarnessError) => string | Promise<string>, when: (err: HarnessError) => boolean = () => true): (err: unknown) => never {
  return (err) => {
    if (err instanceof HarnessError && when(err)) err.shownAs({ page: () => render(err) });
    throw err;
  };
}

/** The error page under a heading that names the flow that failed, for the errors `when` picks. */
export function headed(heading: string, when: (err: HarnessError) => boolean = () => true): (err: unknown) => never {
  return (err) => {
    if (err instanceof HarnessError && when(err)) err.shownAs({ heading });
    throw err;
  };
}
