def parse(text): raise NotImplementedError
def to_infix(rule): raise NotImplementedError
