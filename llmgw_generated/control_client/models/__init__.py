"""Contains all the data models used in inputs/outputs"""

from .capabilities import Capabilities
from .capabilities_role import CapabilitiesRole
from .capacity_info import CapacityInfo
from .catalog_model import CatalogModel
from .catalog_model_list import CatalogModelList
from .conformance_profile import ConformanceProfile
from .determinism_level import DeterminismLevel
from .engine import Engine
from .engine_capability import EngineCapability
from .engine_implementation import EngineImplementation
from .error_envelope import ErrorEnvelope
from .error_kind import ErrorKind
from .error_reason import ErrorReason
from .gpu_counts import GpuCounts
from .health import Health
from .health_role import HealthRole
from .health_status import HealthStatus
from .kv_hint import KVHint
from .limits import Limits
from .model_load_state import ModelLoadState
from .model_state import ModelState
from .model_state_change import ModelStateChange
from .open_ai_error import OpenAIError
from .open_ai_error_response import OpenAIErrorResponse
from .pool_info import PoolInfo
from .pool_list import PoolList
from .pool_spec import PoolSpec
from .pool_state import PoolState
from .pool_status import PoolStatus
from .priority import Priority
from .register_model_request import RegisterModelRequest
from .session_create_request import SessionCreateRequest
from .session_info import SessionInfo
from .worker_info import WorkerInfo
from .worker_state import WorkerState
from .workload import Workload

__all__ = (
    "Capabilities",
    "CapabilitiesRole",
    "CapacityInfo",
    "CatalogModel",
    "CatalogModelList",
    "ConformanceProfile",
    "DeterminismLevel",
    "Engine",
    "EngineCapability",
    "EngineImplementation",
    "ErrorEnvelope",
    "ErrorKind",
    "ErrorReason",
    "GpuCounts",
    "Health",
    "HealthRole",
    "HealthStatus",
    "KVHint",
    "Limits",
    "ModelLoadState",
    "ModelState",
    "ModelStateChange",
    "OpenAIError",
    "OpenAIErrorResponse",
    "PoolInfo",
    "PoolList",
    "PoolSpec",
    "PoolState",
    "PoolStatus",
    "Priority",
    "RegisterModelRequest",
    "SessionCreateRequest",
    "SessionInfo",
    "WorkerInfo",
    "WorkerState",
    "Workload",
)
