"""The client list page of the partner portal, as FastAPI + SQLAlchemy + Jinja2 would serve it.

The peer of the Rust portal in scripts/peerbench: the same page (a partner's clients, 25 per
page in name order, the exact total, the plan names) from the same database, written the
simplest idiomatic way: synchronous SQLAlchemy 2.0 ORM sessions in FastAPI's thread pool, a
signed session cookie (Starlette's SessionMiddleware), the signed-in member read from the
database on every request, a Jinja2 template.
"""

import os
import uuid
from datetime import datetime
from decimal import Decimal

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import ForeignKey, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

engine = create_engine(
    os.environ["PEER_DATABASE_URL"], pool_size=10, max_overflow=0, pool_pre_ping=False
)
SessionLocal = sessionmaker(engine, expire_on_commit=False)
templates = Jinja2Templates(directory=os.path.join(os.path.dirname(__file__), "templates"))
PAGE_SIZE = 25


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str]
    display_name: Mapped[str]
    disabled_at: Mapped[datetime | None]


class PartnerMember(Base):
    __tablename__ = "partner_members"
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str]


class Partner(Base):
    __tablename__ = "partners"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str]
    status: Mapped[str]


class Plan(Base):
    __tablename__ = "plans"
    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    monthly_price: Mapped[Decimal]
    sort_order: Mapped[int]


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    company_name: Mapped[str]
    contact_name: Mapped[str]
    contact_email: Mapped[str]
    plan: Mapped[str] = mapped_column(ForeignKey("plans.code"))
    status: Mapped[str]
    custom_price: Mapped[Decimal | None]
    created_at: Mapped[datetime]


app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ.get("PEER_SECRET", "peer-bench-secret"))


def db():
    with SessionLocal() as session:
        yield session


def current_member(request: Request, session: Session = Depends(db)):
    user_id = request.session.get("user_id")
    if user_id is None:
        raise HTTPException(status_code=401)
    row = session.execute(
        select(User, PartnerMember, Partner)
        .join(PartnerMember, PartnerMember.user_id == User.id)
        .join(Partner, Partner.id == PartnerMember.partner_id)
        .where(User.id == uuid.UUID(user_id), User.disabled_at.is_(None))
    ).first()
    if row is None or row.Partner.status != "active":
        raise HTTPException(status_code=403)
    return row


@app.get("/bench-login")
def bench_login(email: str, request: Request, session: Session = Depends(db)):
    """Signs in without a password: the benchmark measures the list, not the sign-in."""
    user = session.execute(select(User).where(User.email == email)).scalar_one()
    request.session["user_id"] = str(user.id)
    return RedirectResponse("/partner/clients", status_code=303)


@app.get("/partner/clients")
def client_list(
    request: Request,
    page: int = 1,
    member=Depends(current_member),
    session: Session = Depends(db),
):
    partner = member.Partner
    page = max(page, 1)
    total = session.scalar(select(func.count()).select_from(Client).where(Client.partner_id == partner.id))
    clients = session.scalars(
        select(Client)
        .where(Client.partner_id == partner.id)
        .order_by(func.lower(Client.company_name), Client.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    plans = {p.code: p for p in session.scalars(select(Plan).order_by(Plan.sort_order))}
    return templates.TemplateResponse(
        request,
        "clients.html",
        {
            "user": member.User,
            "partner": partner,
            "clients": clients,
            "plans": plans,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
        },
    )
