"""Optional fast engine (rustworkx) for the heavy centrality measures; networkx stays the model."""

from __future__ import annotations

import importlib.util
from typing import Literal

import networkx as nx

from kg.errors import AnalysisError, value_invalid_msg

__all__ = [
    "ENGINES",
    "ENGINE_MEASURES",
    "AUTO_MIN_NODES",
    "AnalysisError",
    "EngineUnavailableError",
    "engine_available",
    "choose_engine",
    "rx_centrality",
]

ENGINES = ("auto", "networkx", "rustworkx")
#: The measures the fast engine computes. PageRank (scipy sparse), eigenvector (numpy/scipy) and
#: degree are already vectorised in networkx, so handing them over would buy little.
ENGINE_MEASURES = ("betweenness", "closeness")
#: With engine="auto", graphs smaller than this stay on networkx: the conversion is not worth it
#: there, and small outputs (tests, the sample corpus) then never depend on what is installed.
AUTO_MIN_NODES: int = 1000

Engine = Literal["auto", "networkx", "rustworkx"]


class EngineUnavailableError(AnalysisError):
    """A centrality engine was asked for by name but is not installed."""


def engine_available(name: str) -> bool:
    """Whether engine `name` can be used here (networkx always can).

    >>> engine_available("networkx")
    True
    """
    if name == "networkx":
        return True
    if name == "rustworkx":
        return importlib.util.find_spec("rustworkx") is not None
    return False


def choose_engine(engine: Engine, measure: str, n_nodes: int, *, sampled: bool = False) -> str:
    """The engine that will really run `measure` on a graph of `n_nodes` nodes.

    "networkx" whenever the measure is not one the engine computes or betweenness is sampled
    (rustworkx has no sampling); "auto" takes rustworkx only when installed and the graph has at
    least AUTO_MIN_NODES nodes. Asking for "rustworkx" when it is missing raises.

    >>> choose_engine("networkx", "betweenness", 10**6)
    'networkx'
    >>> choose_engine("auto", "pagerank", 10**6)
    'networkx'
    >>> choose_engine("auto", "betweenness", 10)
    'networkx'
    """
    if engine not in ENGINES:
        raise AnalysisError(value_invalid_msg("engine", engine, ENGINES))
    if engine == "rustworkx" and not engine_available("rustworkx"):
        raise EngineUnavailableError(
            "engine 'rustworkx' is not installed; install it with `pip install rustworkx` "
            "(or paperkg[fast]), or use engine 'networkx' or 'auto'"
        )
    if engine == "networkx" or measure not in ENGINE_MEASURES or sampled:
        return "networkx"
    if engine == "auto" and (n_nodes < AUTO_MIN_NODES or not engine_available("rustworkx")):
        return "networkx"
    return "rustworkx"


def rx_centrality(H: nx.Graph, measure: str) -> dict:
    """`measure` of every node of `H` computed by rustworkx, with networkx's definitions.

    Betweenness is unweighted and normalised as networkx does; closeness is unweighted with
    Wasserman-Faust scaling (networkx's wf_improved=True) and, on a directed graph, uses
    incoming distances, like nx.closeness_centrality.
    """
    import rustworkx as rx

    if measure not in ENGINE_MEASURES:
        raise AnalysisError(value_invalid_msg("engine measure", measure, ENGINE_MEASURES))
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    R = rx.PyDiGraph(multigraph=False) if H.is_directed() else rx.PyGraph(multigraph=False)
    R.add_nodes_from(range(len(nodes)))
    R.add_edges_from_no_data([(index[u], index[v]) for u, v in H.edges()])
    if measure == "betweenness":
        res = rx.betweenness_centrality(R, normalized=True)
    else:
        res = rx.closeness_centrality(R, wf_improved=True)
    return {nodes[i]: float(res[i]) for i in range(len(nodes))}
