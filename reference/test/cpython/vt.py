import asyncio, asyncio.base_events, selectors, sys, warnings
warnings.simplefilter('always')
def _showwarning(message, category, filename, lineno, file=None, line=None):
    print('WARN', category.__name__, str(message))
warnings.showwarning = _showwarning
class VSelector(selectors.BaseSelector):
    def __init__(self): self._map = {}
    def register(self, fileobj, events, data=None):
        key = selectors.SelectorKey(fileobj, 0, events, data); self._map[fileobj]=key; return key
    def unregister(self, fileobj): return self._map.pop(fileobj)
    def select(self, timeout=None):
        if timeout is None: raise RuntimeError('deadlock')
        CLOCK[0] += timeout; return []
    def get_map(self): return self._map
    def close(self): pass
CLOCK=[0.0]
class VLoop(asyncio.base_events.BaseEventLoop):
    def __init__(self):
        super().__init__(); self._selector = VSelector()
    def time(self): return CLOCK[0]
    def _process_events(self, ev): pass
    def _write_to_self(self): pass
class Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self): return VLoop()
asyncio.set_event_loop_policy(Policy())
def p(*a):
    print(CLOCK[0], *a)
def ename(e): return '%s(%s)' % (type(e).__name__, ', '.join(repr(x) for x in e.args))
