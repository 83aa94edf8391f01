"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_list import ApiKeyList
from .api_key_revoked import ApiKeyRevoked
from .api_key_status import ApiKeyStatus
from .api_key_status_change import ApiKeyStatusChange
from .api_key_with_secret import ApiKeyWithSecret
from .capabilities import Capabilities
from .capabilities_role import CapabilitiesRole
from .capacity_info import CapacityInfo
from .catalog_model import CatalogModel
from .catalog_model_list import CatalogModelList
from .conformance_profile import ConformanceProfile
from .create_api_key_request import CreateApiKeyRequest
from .credit_balance import CreditBalance
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
from .key_scope import KeyScope
from .kv_hint import KVHint
from .limits import Limits
from .log_status import LogStatus
from .login_request import LoginRequest
from .login_response import LoginResponse
from .model_load_state import ModelLoadState
from .model_state import ModelState
from .model_state_change import ModelStateChange
from .model_tier import ModelTier
from .open_ai_error import OpenAIError
from .open_ai_error_response import OpenAIErrorResponse
from .pool_info import PoolInfo
from .pool_list import PoolList
from .pool_spec import PoolSpec
from .pool_state import PoolState
from .pool_status import PoolStatus
from .priority import Priority
from .refresh_request import RefreshRequest
from .register_model_request import RegisterModelRequest
from .register_request import RegisterRequest
from .register_response import RegisterResponse
from .session_create_request import SessionCreateRequest
from .session_info import SessionInfo
from .token_type import TokenType
from .update_api_key_request import UpdateApiKeyRequest
from .usage_log import UsageLog
from .usage_log_page import UsageLogPage
from .usage_period import UsagePeriod
from .usage_stats import UsageStats
from .user import User
from .user_role import UserRole
from .user_status import UserStatus
from .worker_info import WorkerInfo
from .worker_state import WorkerState
from .workload import Workload

__all__ = (
    "ApiKey",
    "ApiKeyList",
    "ApiKeyRevoked",
    "ApiKeyStatus",
    "ApiKeyStatusChange",
    "ApiKeyWithSecret",
    "Capabilities",
    "CapabilitiesRole",
    "CapacityInfo",
    "CatalogModel",
    "CatalogModelList",
    "ConformanceProfile",
    "CreateApiKeyRequest",
    "CreditBalance",
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
    "KeyScope",
    "KVHint",
    "Limits",
    "LoginRequest",
    "LoginResponse",
    "LogStatus",
    "ModelLoadState",
    "ModelState",
    "ModelStateChange",
    "ModelTier",
    "OpenAIError",
    "OpenAIErrorResponse",
    "PoolInfo",
    "PoolList",
    "PoolSpec",
    "PoolState",
    "PoolStatus",
    "Priority",
    "RefreshRequest",
    "RegisterModelRequest",
    "RegisterRequest",
    "RegisterResponse",
    "SessionCreateRequest",
    "SessionInfo",
    "TokenType",
    "UpdateApiKeyRequest",
    "UsageLog",
    "UsageLogPage",
    "UsagePeriod",
    "UsageStats",
    "User",
    "UserRole",
    "UserStatus",
    "WorkerInfo",
    "WorkerState",
    "Workload",
)
