# concurrent.futures.Future: a done callback that raises is logged through
# the 'concurrent.futures' logger (LOGGER.exception) and the next one still
# runs, both when cancel() runs the callbacks and when add_done_callback is
# called on a future that is already done.
import concurrent.futures as cf, logging, re
class H(logging.Handler):
    def emit(self, r):
        exc = r.exc_info[1] if r.exc_info else None
        print('LOG', r.name, r.levelname, re.sub('0x[0-9a-f]+', '0xN', r.getMessage()), repr(exc))
logging.getLogger('concurrent.futures').addHandler(H())
g = cf.Future()
def bad(x): raise ValueError('in cb')
g.add_done_callback(bad)
g.add_done_callback(lambda x: print('next cb runs'))
print('cancel', g.cancel())
def bad2(x): raise ValueError('immediate cb')
g.add_done_callback(bad2)
print('after immediate')
